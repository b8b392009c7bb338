# syntax=docker/dockerfile:1
# One build, two images: `--target silo` and `--target gateway` (docker-compose.yml uses both).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Silo.csproj -c Release -o /out/silo --nologo \
 && dotnet publish src/Gateway/Gateway.csproj -c Release -o /out/gateway --nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS silo
WORKDIR /app
COPY --from=build /out/silo .
USER $APP_UID
EXPOSE 11111 30000
ENTRYPOINT ["dotnet", "Dagen.Silo.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS gateway
WORKDIR /app
COPY --from=build /out/gateway .
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Dagen.Gateway.dll"]
